"""Which rules run, at which severity, with which options: configuration files and their lookup."""
