"""What several rules read about one page, worked out once: the outline, dose expressions, the disclaimer."""
