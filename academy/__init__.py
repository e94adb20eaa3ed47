"""Operations of the Haidong Service Academy: runtime paths, roster import, `python -m academy up`."""
