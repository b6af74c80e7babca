"""Many pages: discovery, the findings cache, and worker processes."""
