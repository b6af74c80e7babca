"""The content model (schemas/): loading and validating it, its dose vocabulary, which pages it applies to."""
