"""The recognition benchmark: its own audio, two systems hearing it, and one table.

`corpus` builds the audio (commands in many voices over synthetic pumps, and negatives),
`systems` are what hears it (ours, and a naive build to compare against), `scoring` turns
what was heard into figures, and `table` lays them out. `scripts/bench_recognition.py` runs it.
"""
