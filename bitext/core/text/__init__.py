"""Text processing: decoding, normalisation, segmentation, language tags."""
