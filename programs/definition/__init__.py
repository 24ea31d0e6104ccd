"""Programs themselves: HR defines them and steers their lifecycle; employees browse them."""
