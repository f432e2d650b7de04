"""Miner and validator processes, and the task interface they share."""
