"""The pages that combine apps, one module per area."""
