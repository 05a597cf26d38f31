# Reference values for axspa.stats.ancova: R's lm and emmeans.
#
# Run from this directory: Rscript make_ancova_reference.R   (R 4.2.2, emmeans 1.8.4-1).
# Writes ancova_datasets.csv (the generated data; NA marks a missing value) and ancova_reference_*.csv.
#
# 12 generated trials: 2 or 3 arms, 0 to 2 numeric covariates, 0 to 2 strata, 12 to 300 patients, some with
# missing outcomes or covariates (lm drops those rows: complete cases). For each: lm(y ~ arm + covariates +
# strata); emmeans(fit, ~ arm) with weights "equal" and "proportional" (LS means); contrast(..., "trt.vs.ctrl")
# for the differences against placebo; t intervals on the residual df, and "normal" ones from emmeans with
# df = Inf (estimate +/- z SE, normal p-values; emmeans names those limits asymp.LCL/UCL); sigma(fit) (residual SD on n - p) and sqrt(mean(resid^2)).

suppressPackageStartupMessages(library(emmeans))
emm_options(msg.interaction = FALSE)
set.seed(20261126)

grid <- data.frame(
  n = c(12, 20, 30, 45, 60, 80, 100, 150, 200, 300, 40, 90),
  arms = c(2, 2, 3, 2, 3, 2, 2, 3, 2, 2, 3, 2),
  ncov = c(1, 0, 1, 2, 1, 1, 2, 1, 0, 1, 2, 1),
  nstrata = c(0, 1, 0, 1, 2, 0, 1, 1, 2, 0, 1, 2),
  missing = c(FALSE, FALSE, TRUE, FALSE, TRUE, FALSE, TRUE, FALSE, FALSE, TRUE, FALSE, TRUE)
)
grid$dataset <- seq_len(nrow(grid))

rows_data <- list(); rows_fit <- list(); rows_coef <- list(); rows_ls <- list(); rows_diff <- list()
for (k in seq_len(nrow(grid))) {
  g <- grid[k, ]
  n <- g$n
  arm_names <- c("placebo", "drugA", "drugB")[seq_len(g$arms)]
  d <- data.frame(
    dataset = g$dataset, arm = sample(rep(arm_names, length.out = n)),
    base = round(rnorm(n, 6, 1.3), 1), age = round(rnorm(n, 40, 10)),
    region = sample(c("EU", "US", "AP"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2)),
    prior_tnf = sample(c("no", "yes"), n, replace = TRUE)
  )
  d$y <- round(-1 - 0.9 * (d$arm != "placebo") - 0.3 * (d$base - 6) + 0.02 * (d$age - 40) +
               0.4 * (d$region == "EU") + rnorm(n, sd = 1.4), 3)
  if (g$missing) {
    d$y[sample.int(n, max(1, n %/% 10))] <- NA
    d$base[sample.int(n, max(1, n %/% 20))] <- NA
  }
  covs <- c("base", "age")[seq_len(g$ncov)]
  strata <- c("region", "prior_tnf")[seq_len(g$nstrata)]
  rows_data[[k]] <- d
  d$arm <- factor(d$arm, levels = arm_names)
  fml <- as.formula(paste("y ~", paste(c("arm", covs, strata), collapse = " + ")))
  fit <- lm(fml, data = d)
  key <- data.frame(dataset = g$dataset)
  rows_fit[[k]] <- cbind(key, covariates = paste(covs, collapse = ";"), strata = paste(strata, collapse = ";"),
    n = nobs(fit), df_residual = df.residual(fit), sigma = sigma(fit), rms = sqrt(mean(residuals(fit)^2)))
  cf <- summary(fit)$coefficients
  rows_coef[[k]] <- cbind(key, term = rownames(cf), estimate = cf[, 1], se = cf[, 2], statistic = cf[, 3],
                          pvalue = cf[, 4])
  for (interval in c("t", "normal")) {
    dfa <- if (interval == "t") list() else list(df = Inf)
    for (wt in c("equal", "proportional")) {
      emm <- do.call(emmeans, c(list(fit, ~ arm, weights = wt), dfa))
      s <- as.data.frame(summary(emm, level = 0.95))
      rows_ls[[length(rows_ls) + 1]] <- cbind(key, interval = interval, weighting = wt, arm = as.character(s$arm),
        estimate = s$emmean, se = s$SE, df = s$df, low = s[[ncol(s) - 1]], high = s[[ncol(s)]])
    }
    con <- contrast(emm, "trt.vs.ctrl", ref = 1)
    s <- as.data.frame(summary(con, infer = c(TRUE, TRUE), level = 0.95, adjust = "none"))
    rows_diff[[length(rows_diff) + 1]] <- cbind(key, interval = interval, contrast = as.character(s$contrast),
      estimate = s$estimate, se = s$SE, df = s$df, low = s[[5]], high = s[[6]],
      statistic = if (interval == "t") s$t.ratio else s$z.ratio, pvalue = s$p.value)
  }
}

write.csv(do.call(rbind, rows_data), "ancova_datasets.csv", row.names = FALSE)
options(digits = 17)
tables <- list(fits = rows_fit, coef = rows_coef, lsmeans = rows_ls, differences = rows_diff)
for (name in names(tables)) {
  write.csv(do.call(rbind, tables[[name]]), sprintf("ancova_reference_%s.csv", name), row.names = FALSE)
}
