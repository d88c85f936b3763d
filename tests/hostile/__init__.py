"""Hostile inputs: damaged and malicious PDFs, metadata, BibTeX and text, made by `make.py`.

Each test runs `proceedings` as a person does and asserts what must hold whatever the input: a
bounded time and memory, one clear finding naming the file, no traceback, the other files of
the run still checked, and the exit code the README gives.
"""
