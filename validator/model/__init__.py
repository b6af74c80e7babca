"""The values every stage passes on: findings and positions, the parsed page, its front matter.

A leaf: it imports nothing else of monolint."""
