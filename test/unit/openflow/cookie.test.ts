import { describe, expect, it } from "vitest";
import { contentOf, cookieOf, formatCookie, isOurCookie, ourCookieFilter, purposeCookieFilter, purposeOf } from "../../../ovs/openflow/cookie.js";

describe("cookie layout", () => {
  it("puts the marker in the top 16 bits and the purpose in the next 8", () => {
    const cookie = cookieOf(0x17, "table=0,priority=0 actions=drop");
    expect(cookie >> 48n).toBe(0x5d0en);
    expect(purposeOf(cookie)).toBe(0x17);
    expect(isOurCookie(cookie)).toBe(true);
    expect(contentOf(cookie) < 1n << 40n).toBe(true);
  });

  it("is a function of the flow text: same text same cookie, any change another cookie", () => {
    const a = cookieOf(2, "table=0,priority=100,in_port=1 actions=goto_table:10");
    expect(cookieOf(2, "table=0,priority=100,in_port=1 actions=goto_table:10")).toBe(a);
    expect(cookieOf(2, "table=0,priority=100,in_port=2 actions=goto_table:10")).not.toBe(a);
    expect(cookieOf(2, "table=0,priority=100,in_port=1 actions=goto_table:10", 1)).not.toBe(a);
    expect(purposeOf(cookieOf(3, "table=0,priority=100,in_port=1 actions=goto_table:10"))).toBe(3);
  });

  it("recognises only cookies with the marker", () => {
    expect(isOurCookie(0n)).toBe(false);
    expect(isOurCookie(0x1234n)).toBe(false);
    expect(isOurCookie(0x5d0f000000000001n)).toBe(false);
    expect(isOurCookie(0x5d0e000000000000n)).toBe(true);
  });

  it("formats filters for dump-flows and del-flows", () => {
    expect(ourCookieFilter()).toBe("cookie=0x5d0e000000000000/0xffff000000000000");
    expect(purposeCookieFilter(2)).toBe("cookie=0x5d0e020000000000/0xffffff0000000000");
    expect(formatCookie(0x5d0e0200000000ffn)).toBe("0x5d0e0200000000ff");
    expect(() => cookieOf(256, "x")).toThrow(RangeError);
  });
});
