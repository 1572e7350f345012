"""govseo: find the government services citizens cannot find through search engines."""

__version__ = "0.1.0"
