"""Extractors behind one interface; a registry maps names to implementations."""
