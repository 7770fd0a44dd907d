"""One module per model family; each registers its trainers with `@register_model(TASK, NAME)`."""
