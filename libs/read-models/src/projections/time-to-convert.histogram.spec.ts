import { TIME_TO_CONVERT_FIELDS, timeToConvertField, timeToConvertFromHistogram } from './time-to-convert.histogram';

function histogram(entries: Record<string, number>): number[] {
  return TIME_TO_CONVERT_FIELDS.map((field) => entries[field] ?? 0);
}

describe('time-to-convert histogram', () => {
  it('has 23 bounds from 1 hour to 2 years, plus one bucket beyond', () => {
    expect(TIME_TO_CONVERT_FIELDS).toHaveLength(24);
    expect(TIME_TO_CONVERT_FIELDS[0]).toBe('ttc_le_1h');
    expect(TIME_TO_CONVERT_FIELDS[22]).toBe('ttc_le_17520h');
    expect(TIME_TO_CONVERT_FIELDS[23]).toBe('ttc_gt_17520h');
  });

  it('puts a duration in the first bucket whose upper bound holds it (bounds inclusive)', () => {
    expect(timeToConvertField(0)).toBe('ttc_le_1h');
    expect(timeToConvertField(1)).toBe('ttc_le_1h');
    expect(timeToConvertField(1.01)).toBe('ttc_le_2h');
    expect(timeToConvertField(24)).toBe('ttc_le_24h');
    expect(timeToConvertField(24.5)).toBe('ttc_le_48h');
    expect(timeToConvertField(17_520)).toBe('ttc_le_17520h');
    expect(timeToConvertField(17_521)).toBe('ttc_gt_17520h');
  });

  it('reads the median and p90 by nearest rank, as the bucket that holds them', () => {
    // 10 conversions: 3 within a day, 4 within 2 days, 2 within a week, 1 over 2 years.
    const answer = timeToConvertFromHistogram(histogram({ ttc_le_24h: 3, ttc_le_48h: 4, ttc_le_168h: 2, ttc_gt_17520h: 1 }));
    expect(answer.conversions).toBe(10);
    // Rank 5 of 10 is in the 24-48 h bucket; rank 9 in the 120-168 h bucket.
    expect(answer.median).toEqual({ atMostHours: 48, moreThanHours: 24 });
    expect(answer.p90).toEqual({ atMostHours: 168, moreThanHours: 120 });
    expect(answer.approximate).toMatch(/^approximate to the histogram bucket/);
  });

  it('says null beyond the last bound, and null percentiles when there is nothing', () => {
    const slow = timeToConvertFromHistogram(histogram({ ttc_le_1h: 1, ttc_gt_17520h: 2 }));
    expect(slow.median).toEqual({ atMostHours: null, moreThanHours: 17_520 });
    expect(slow.p90).toEqual({ atMostHours: null, moreThanHours: 17_520 });
    const one = timeToConvertFromHistogram(histogram({ ttc_le_1h: 1 }));
    expect(one.median).toEqual({ atMostHours: 1, moreThanHours: 0 });
    expect(timeToConvertFromHistogram(histogram({}))).toMatchObject({ conversions: 0, median: null, p90: null });
  });
});
