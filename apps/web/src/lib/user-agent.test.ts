import { describe, expect, it } from 'vitest';
import { describeAgent } from './user-agent.ts';

describe('describeAgent', () => {
  it('names common browsers and systems', () => {
    expect(describeAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15')).toBe('Safari on macOS');
    expect(describeAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0')).toBe('Edge on Windows');
    expect(describeAgent('Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0')).toBe('Firefox on Linux');
    expect(describeAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1')).toBe('Safari on iOS');
    expect(describeAgent('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36')).toBe('Chrome on Android');
  });

  it('falls back to what it has', () => {
    expect(describeAgent(null)).toBe('Unknown device');
    expect(describeAgent('curl/8.5.0')).toBe('curl');
    expect(describeAgent('x'.repeat(100))).toBe('x'.repeat(40));
  });
});
