"""The classroom: an instructor runs an exercise for a whole class, in rounds."""
