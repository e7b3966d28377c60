"""Stage 6: run the stages for whole documents, write outputs, expose the CLI."""
