# Reference values for tests/report: run with `Rscript tests/report/reference_values.R`.
# Output pasted into tests/report/reference_values.txt; the tests quote it.
suppressMessages({library(exactRankTests); library(coin)})
options(digits = 10)

cat("== Clopper-Pearson 95% CIs (binom.test) ==\n")
for (xn in list(c(2,3), c(2,4), c(2,5), c(1,3), c(1,4), c(1,5), c(8,8), c(8,10), c(8,13), c(4,8), c(4,10), c(4,13), c(3,4), c(3,5), c(3,6))) {
  ci <- binom.test(xn[1], xn[2])$conf.int
  cat(sprintf("%d/%d: %.10f %.10f\n", xn[1], xn[2], ci[1], ci[2]))
}

walsh_median <- function(d) { w <- outer(d, d, "+") / 2; median(w[upper.tri(w, diag = TRUE)]) }
signed_rank <- function(name, d) {
  nz <- d[d != 0]
  ex <- wilcox.exact(nz, conf.int = TRUE, conf.level = 0.95)
  V <- sum(rank(abs(nz))[nz > 0])
  # exact conditional p by enumerating all 2^n sign patterns of the non-zero midranks
  r <- rank(abs(nz)); n <- length(nz)
  signs <- as.matrix(expand.grid(rep(list(c(0, 1)), n)))
  dist <- signs %*% r
  p_two <- min(1, 2 * min(mean(dist <= V + 1e-9), mean(dist >= V - 1e-9)))
  cat(sprintf("%s: n_nonzero=%d V=%.1f p_enum=%.10f p_wilcox.exact=%.10f HL_walsh_median=%.10f CI=[%.10f, %.10f]\n",
              name, n, V, p_two, ex$p.value, walsh_median(nz), ex$conf.int[1], ex$conf.int[2]))
}
cat("== Signed-rank, zeros dropped, exact conditional ==\n")
signed_rank("toy basdai wk12", c(3, 2, 5) - c(6, 4, 8))
signed_rank("toy basdai wk4", c(5, 4.5) - c(6, 4))
signed_rank("toy esr wk12", c(20, 25, 40) - c(40, 30, 50))
signed_rank("ref basfi wk24", c(4, 4, 3, 3, 5, 2, 4, 5) - c(6, 5, 4, 3, 8, 2.5, 3, 7))
x0 <- c(6, 5, 4, 3, 8, 2.5, 3, 7); x24 <- c(4, 4, 3, 3, 5, 2, 4, 5)
cat("coin wilcoxsign_test exact, zero.method=Wilcoxon: p =",
    pvalue(wilcoxsign_test(x24 ~ x0, zero.method = "Wilcoxon", distribution = "exact")), "\n")

cat("== Descriptives (mean, sd) ==\n")
desc <- function(name, x) cat(sprintf("%s: n=%d mean=%.10f sd=%.10f\n", name, length(x), mean(x), sd(x)))
desc("ref basfi wk0", x0); desc("ref basfi wk24", x24); desc("ref basfi chg", x24 - x0)
