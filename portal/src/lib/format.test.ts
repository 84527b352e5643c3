import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatScalar, humanizeKey, slug } from "./format";

describe("format", () => {
  it.each([
    ["item_count", "Item count"],
    ["aws_account", "AWS account"],
    ["size_bytes", "Size"],
    ["tableArn", "Table ARN"],
    ["approved-by", "Approved by"],
  ])("humanizes %s", (key, words) => {
    expect(humanizeKey(key)).toBe(words);
  });

  it("formats scalars by kind", () => {
    expect(formatScalar("exists", true)).toBe("yes");
    expect(formatScalar("size_bytes", 1_234_567)).toBe("1.2 MB");
    expect(formatScalar("item_count", 12345)).toBe("12,345");
    expect(formatScalar("x", null)).toBe("—");
    expect(formatBytes(999)).toBe("999 B");
  });

  it("formats durations", () => {
    expect(formatDuration(86400)).toBe("1 d");
    expect(formatDuration(7200)).toBe("2 h");
    expect(formatDuration(90)).toBe("90 s");
  });

  it("makes ids from free text", () => {
    expect(slug("team", "Cloud Ops / EU")).toBe("team-cloud-ops-eu");
  });
});
