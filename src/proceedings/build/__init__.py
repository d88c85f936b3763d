"""Assembling the volume: plan, render, assemble."""

# The parts a build makes, in the order they are listed (`build --only`).
PARTS = ("pmlr", "frontmatter", "volume", "site")
