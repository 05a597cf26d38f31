# Read the XPT files axspa wrote (tests/cdisc/r/xpt/, made by make_xpt.py) with foreign::read.xport, an
# XPT reader independent of the one axspa writes with (pyreadstat/ReadStat; R haven bundles ReadStat too).
# Writes foreign_<data set>.csv beside this script: character values as read, numbers with 17
# significant digits (enough to tell every double apart), missing numbers as NA.
# Run from the repository root: Rscript tests/cdisc/r/read_xport.R
library(foreign)
here <- "tests/cdisc/r"
cat("foreign", as.character(packageVersion("foreign")), "\n")
for (path in sort(Sys.glob(file.path(here, "xpt", "*.xpt")))) {
  d <- read.xport(path)
  out <- as.data.frame(lapply(d, function(x) {
    if (is.numeric(x)) ifelse(is.na(x), "NA", sprintf("%.17g", x)) else as.character(x)
  }), stringsAsFactors = FALSE)
  name <- sub("\\.xpt$", "", basename(path))
  write.csv(out, file.path(here, paste0("foreign_", name, ".csv")), row.names = FALSE, na = "")
  cat(name, nrow(out), "rows\n")
}
