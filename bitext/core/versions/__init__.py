"""Versions of one original text: split into provisions, compare two versions of it."""
