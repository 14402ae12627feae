"""Reading the written files back before they count as output."""
