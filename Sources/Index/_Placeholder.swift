// Keeps the target buildable until its module lands; delete with the first real file.
