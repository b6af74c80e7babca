"""Many pages: discovery, the findings cache, and worker processes.

The names of the files a run deals with are defined once, here, so that the command line's
options can name them without importing the stage.
"""

PAGE_SUFFIXES = (".md", ".markdown")  # a folder's pages: files ending so (any case)
CACHE_DIR_NAME = ".monolint_cache"  # like ruff's .ruff_cache; it git-ignores itself
