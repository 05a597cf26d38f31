# Reference values for the exact Hodges-Lehmann interval at large n (1536 to 5000 differences).
#
# Run from this folder:  Rscript make_hodges_lehmann_large_n_reference.R   (a few minutes)
# Writes hodges_lehmann_large_n_reference.csv (expected values) and the two drawn samples,
# hodges_lehmann_grid_5000.csv and hodges_lehmann_untied_2000.csv, beside this script.
#
# R's own qsignrank/psignrank count sign patterns in double precision; the counts overflow once
# n exceeds about 1030, so they cannot serve here. The null distribution of the signed-rank
# statistic R+ of n untied ranks is therefore computed from its definition: with
# P_0(0) = 1 and P_j(q) = (P_{j-1}(q) + P_{j-1}(q - j)) / 2 (rank j positive or negative with
# probability 1/2), truncated at q = floor(n(n+1)/4) (the lower half suffices for the lower tail
# of a level below 1/2). Probabilities are halved at every step, so far-tail values below the
# smallest double vanish; their sum is below 1e-300 and cannot move a cut-off near 0.005-0.1.
# The cut-off is chosen exactly as wilcox.test(conf.int = TRUE) does: k = the smallest q with
# P(R+ <= q) >= tail - 10 * .Machine$double.eps (qsignrank's comparison), at least 1; the
# interval is [W_(k), W_(M + 1 - k)] of the sorted Walsh averages (two-sided) and the achieved
# confidence 1 - 2 P(R+ <= k - 1) (one-sided: tail = alpha, one limit infinite, 1 - P(R+ <= k - 1)).

untied_lower_cdf <- function(n) {
  m <- floor(n * (n + 1) / 4)
  p <- numeric(m + 1)
  p[1] <- 1
  for (j in 1:n) {
    if (j <= m) {
      p <- (p + c(numeric(j), p[1:(m + 1 - j)])) / 2
    } else {
      p <- p / 2
    }
  }
  cumsum(p)  # element q + 1 is P(R+ <= q)
}

cutoff <- function(cdf, tail) {
  hit <- which(cdf >= tail - 10 * .Machine$double.eps)
  stopifnot(length(hit) > 0)
  k <- hit[1] - 1
  if (k == 0) k <- 1
  list(k = k, miss = cdf[k])  # cdf[k] is P(R+ <= k - 1)
}

walsh_sorted <- function(d) {
  s <- outer(d, d, "+") / 2
  sort(s[upper.tri(s, diag = TRUE)])
}

set.seed(2026)
grid_5000 <- round(rnorm(5400, mean = 0.03, sd = 1), 1)
grid_5000 <- grid_5000[grid_5000 != 0][1:5000]  # zeros would be dropped by the test: keep the first 5000 non-zero
stopifnot(!anyNA(grid_5000))
write.csv(data.frame(d = sprintf("%.1f", grid_5000)), "hodges_lehmann_grid_5000.csv", row.names = FALSE,
          quote = FALSE)
untied_2000 <- sample(1:100000, 2000) / 100 * sample(c(-1, 1), 2000, replace = TRUE, prob = c(0.4, 0.6))
write.csv(data.frame(d = sprintf("%.2f", untied_2000)), "hodges_lehmann_untied_2000.csv", row.names = FALSE,
          quote = FALSE)

cases <- list(
  list(case = "arange_1536", d = 1:1536),
  list(case = "arange_2000", d = 1:2000),
  list(case = "untied_2000", d = untied_2000),
  list(case = "grid_5000", d = grid_5000)
)
rows <- list()
cdfs <- list()
for (cs in cases) {
  n <- length(cs$d)
  key <- as.character(n)
  if (is.null(cdfs[[key]])) cdfs[[key]] <- untied_lower_cdf(n)
  cdf <- cdfs[[key]]
  w <- walsh_sorted(cs$d)
  mm <- length(w)
  for (alt in c("two-sided", "greater", "less")) {
    for (level in c(0.9, 0.95, 0.99)) {
      tail <- if (alt == "two-sided") (1 - level) / 2 else 1 - level
      ct <- cutoff(cdf, tail)
      low <- if (alt == "less") -Inf else w[ct$k]
      high <- if (alt == "greater") Inf else w[mm + 1 - ct$k]
      achieved <- if (alt == "two-sided") 1 - 2 * ct$miss else 1 - ct$miss
      rows[[length(rows) + 1]] <- data.frame(
        case = cs$case, n = n, alternative = alt, confidence_level = level, k = ct$k,
        achieved_confidence = sprintf("%.17g", achieved), low = sprintf("%.17g", low),
        high = sprintf("%.17g", high), estimate = sprintf("%.17g", median(w)), stringsAsFactors = FALSE)
    }
  }
}
out <- do.call(rbind, rows)
write.csv(out, "hodges_lehmann_large_n_reference.csv", row.names = FALSE)
cat(sprintf("R %s; wrote %d rows\n", getRversion(), nrow(out)))
