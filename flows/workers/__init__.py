"""Stage 6c: documents run in long-lived child processes, so a hang can be killed and a crash hurts one document."""
