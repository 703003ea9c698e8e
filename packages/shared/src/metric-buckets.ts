/**
 * Histogram buckets, in seconds, shared by the code that observes and the alert rules that
 * read them: histogram_quantile cannot report above the highest finite bucket, so a rule's
 * threshold must lie within (renderAlertRules checks).
 */
export const STAGE_SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200] as const;
export const RUN_LATENCY_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600] as const;
