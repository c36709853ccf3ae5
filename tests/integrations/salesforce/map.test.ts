import { describe, expect, it } from 'vitest';
import { dayField, numberField, parseApiUsage, scaledSum } from '../../../src/integrations/salesforce/map.js';

const record = (fields: Record<string, unknown>) => ({ attributes: { type: 'Opportunity' }, ...fields });

describe('Salesforce mappers', () => {
  it('reads Sforce-Limit-Info', () => {
    expect(parseApiUsage('api-usage=18/5000')).toEqual({ used: 18, limit: 5000 });
    expect(parseApiUsage('per-app-api-usage=17/250(appName=sample),api-usage=25/5000')).toEqual({ used: 25, limit: 5000 });
    expect(parseApiUsage(undefined)).toBeUndefined();
  });

  it('reads numbers through relationships, null as 0, and names a field the SOQL did not select', () => {
    expect(numberField(record({ Account: { ARR__c: 1200.5 } }), 'Account.ARR__c', 'arr')).toBe(1200.5);
    expect(numberField(record({ arr__c: null }), 'ARR__c', 'arr')).toBe(0);
    expect(() => numberField(record({ Amount: 1 }), 'ARR__c', 'arr')).toThrow(
      'metrics.arr.query: ARR__c is not in the records: select it in the SOQL',
    );
    expect(() => numberField(record({ Amount: '1' }), 'Amount', 'arr')).toThrow('is not a number');
  });

  it('takes a Date as the day and places a datetime on its org-local day', () => {
    expect(dayField(record({ CloseDate: '2026-11-01' }), 'CloseDate', 'm', 'America/Chicago')).toBe('2026-11-01');
    expect(dayField(record({ CreatedDate: '2026-11-02T05:30:00.000+0000' }), 'CreatedDate', 'm', 'America/Chicago')).toBe('2026-11-01');
    expect(dayField(record({ CreatedDate: null }), 'CreatedDate', 'm', 'America/Chicago')).toBeUndefined();
  });

  it('sums currency without floating drift', () => {
    expect(scaledSum([0.1, 0.2, 0.3])).toBe(0.6);
  });
});
