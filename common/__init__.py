"""The bottom layer, under crawler/, audits/ and reports/: the version, the messages catalogue (zh-CN and
English), on-disk spools and atomic file writing. It imports nothing of the project's own."""

__version__ = "0.1.0"
