"""The colour of the frame around the camera preview when no flash is shown (light: the screens import it)."""

Rgb = tuple[int, int, int]
NEUTRAL: Rgb = (180, 180, 180)  # a grey of about the flash colours' lightness, so the flash starts calmly
