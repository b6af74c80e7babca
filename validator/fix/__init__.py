"""Apply fixes: edits without conflicts, the fix/re-check loop, atomic writes and the structure safety net."""
