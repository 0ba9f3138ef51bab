"""The serving side of the memo downloads (``plugins/exports.py``): how many run at once and
for how long (limits), and how a file is sent while it is made (response)."""
