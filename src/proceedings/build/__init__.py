"""Assembling the volume: plan, render, assemble."""
