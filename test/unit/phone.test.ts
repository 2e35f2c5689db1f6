import { normalisePhone } from '../../src/members/phone';

describe('normalisePhone', () => {
  it('adds +86 to a Chinese mainland mobile written without it', () => {
    expect(normalisePhone('13800138000')).toBe('+8613800138000');
  });

  it('keeps a Chinese mobile already in E.164', () => {
    expect(normalisePhone('+8613800138000')).toBe('+8613800138000');
  });

  it('accepts a valid number from another country in E.164', () => {
    expect(normalisePhone('+14155552671')).toBe('+14155552671');
  });

  it('ignores spaces between digits', () => {
    expect(normalisePhone('138 0013 8000')).toBe('+8613800138000');
  });

  it('ignores hyphens between digits', () => {
    expect(normalisePhone('138-0013-8000')).toBe('+8613800138000');
  });

  it('ignores spaces in an E.164 number', () => {
    expect(normalisePhone('+86 138 0013 8000')).toBe('+8613800138000');
  });

  it('refuses a landline written without +', () => {
    expect(normalisePhone('01012345678')).toBeNull();
  });

  it('accepts a landline written in E.164 with its country code', () => {
    expect(normalisePhone('+861012345678')).toBe('+861012345678');
  });

  it('refuses a number too short to be a phone', () => {
    expect(normalisePhone('12345')).toBeNull();
  });

  it('refuses a Chinese mobile with one digit too many', () => {
    expect(normalisePhone('+86138001380001')).toBeNull();
  });

  it('refuses a mobile-looking number with one digit too many and no +', () => {
    expect(normalisePhone('138001380001')).toBeNull();
  });

  it.each(['abc', '138OO138OOO', '+86 138 abcd 8000', 'phone: 13800138000'])('refuses letters (%j)', (input) => {
    expect(normalisePhone(input)).toBeNull();
  });

  it('refuses an empty string', () => {
    expect(normalisePhone('')).toBeNull();
  });

  it('refuses a syntactically well-formed but unassigned E.164 number', () => {
    expect(normalisePhone('+999123456789')).toBeNull();
  });
});
