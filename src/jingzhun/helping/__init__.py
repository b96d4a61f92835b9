"""帮扶: the 帮扶 cadres and their 帮扶记录."""
