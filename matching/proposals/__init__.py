"""HR's proposals for managed programs: the engine proposes pairs, HR edits and publishes them."""
