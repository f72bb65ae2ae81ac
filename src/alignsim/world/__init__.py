"""States, interests, ties and the events that change them: the world a run starts from."""
