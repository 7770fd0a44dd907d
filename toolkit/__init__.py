"""Turn conflict news into a labeled Hugging Face dataset and measure extractors on it."""

__version__ = "0.1.0"
