import sys

from govseo.cli import main

if __name__ == "__main__":      # the crawl's child process (multiprocessing "spawn") imports this module
    sys.exit(main())
