"""Small pieces every layer uses: safe text and files, bounds and exit codes, secrets' names, the
words for a bad value, progress, interrupts. Nothing here knows what a plan is."""
