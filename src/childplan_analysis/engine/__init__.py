"""Assessment: attainment and warnings, reference methods, disparities, quality, accountability."""
