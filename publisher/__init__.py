"""Accessible family guidance: one Markdown source, every reader's format."""

__version__ = "0.1.0"
