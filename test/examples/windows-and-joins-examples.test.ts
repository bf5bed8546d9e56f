import { describe, expect, it } from 'vitest';
import { finalWindowCounts } from '../../topology-examples/page-views-per-window.ts';
import { liveSessions } from '../../topology-examples/user-sessions.ts';
import { enrich } from '../../topology-examples/order-enrichment.ts';
import { matchPayments } from '../../topology-examples/payment-matching.ts';
import { fraudAlerts, LIMIT_CENTS } from '../../topology-examples/fraud-detection.ts';

const minute = 60_000;

describe('page-views-per-window example', () => {
  it('emits each closed 5-minute window once, with its final count, and nothing for open windows', async () => {
    const counts = await finalWindowCounts([
      { user: 'ann', page: '/a', at: 0 }, { user: 'ann', page: '/b', at: 4 * minute }, { user: 'ann', page: '/c', at: 30 * minute },
    ]);
    const byWindow = new Map(counts.map(({ window, count }) => [String(window), count]));
    expect(byWindow.get('[ann@0/300000]')).toBe(2);
    expect(byWindow.get('[ann@240000/540000]')).toBe(1);
    expect(byWindow.size).toBe(counts.length); // each window once
    expect([...byWindow.keys()].some((w) => w.includes('@1800000'))).toBe(false); // still open
  });
});

describe('user-sessions example', () => {
  it('merges sessions bridged by a click and keeps the pages in order', async () => {
    // The bridging click arrives while the first session is still open (closes at 0 + gap + grace = 35 min).
    const sessions = await liveSessions([['ann', '/home', 0], ['ann', '/pay', 34 * minute], ['ann', '/cart', 17 * minute]]);
    expect([...sessions]).toEqual([['[ann@0/2040000]', { clicks: 3, pages: ['/home', '/pay', '/cart'] }]]);
  });
});

describe('order-enrichment example', () => {
  it('joins orders with their customer and product, dropping unknown customers', async () => {
    const enriched = await enrich({
      customers: [['c1', { name: 'Ann', tier: 'gold' }]],
      products: [['p1', { title: 'lamp', priceCents: 1_000 }]],
      orders: [['c1', { orderId: 'o1', productId: 'p1', quantity: 3 }], ['c1', { orderId: 'o2', productId: 'nope', quantity: 1 }], ['c2', { orderId: 'o3', productId: 'p1', quantity: 1 }]],
    });
    expect(enriched).toEqual([
      { orderId: 'o1', customer: 'Ann', tier: 'gold', product: 'lamp', totalCents: 3_000 },
      { orderId: 'o2', customer: 'Ann', tier: 'gold', product: 'unknown product', totalCents: null },
    ]);
  });
});

describe('payment-matching example', () => {
  it('matches payments within 10 minutes and alerts once per order left unpaid after the window', async () => {
    const { paid, alerts } = await matchPayments([
      ['order', 'o1', { amountCents: 100 }, 0],
      ['order', 'o2', { amountCents: 200 }, minute],
      ['payment', 'o1', { amountCents: 100, method: 'card' }, 9 * minute],
      ['payment', 'o2', { amountCents: 200, method: 'card' }, 11 * minute + 1], // after o2's 10 minutes
      ['order', 'o3', { amountCents: 300 }, 12 * minute], // within 11 minutes of grace of o2: no alert yet
    ]);
    expect(paid).toEqual(['o1']);
    expect(alerts).toEqual([]);
    const later = await matchPayments([
      ['order', 'o2', { amountCents: 200 }, minute],
      ['order', 'o3', { amountCents: 300 }, 13 * minute],
      ['order', 'o4', { amountCents: 400 }, 40 * minute],
    ]);
    expect(later.alerts).toEqual(['o2', 'o3']);
  });
});

describe('fraud-detection example', () => {
  it('alerts when any 10 minutes of a card spend more than the limit, and not otherwise', async () => {
    const alerts = await fraudAlerts([
      ['card-1', 60_000, 0], ['card-2', 60_000, 0],
      ['card-2', 50_000, 10 * minute], // exactly 10 minutes after: one window holds both
      ['card-1', 50_000, 11 * minute], // 11 minutes after: never together
    ]);
    expect(alerts.map((a) => a.card)).toEqual(['card-2']);
    expect(alerts[0]!.alert).toContain(`${((60_000 + 50_000) / 100).toFixed(2)}`);
    expect(LIMIT_CENTS).toBe(100_000);
  });
});
