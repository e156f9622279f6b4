import sys
from pathlib import Path

# tests/properties.py is shared by the property tests and tools/fuzz.py
sys.path.insert(0, str(Path(__file__).resolve().parent))
