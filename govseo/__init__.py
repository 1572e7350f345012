"""govseo: find the government services citizens cannot find through search engines."""

from common import __version__

__all__ = ["__version__"]
