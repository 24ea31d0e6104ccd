"""Success stories: a pair writes its story, both members consent, HR publishes it."""
