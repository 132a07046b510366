import { mask, maskAddress, maskBankAccount, maskIdNumber, maskName, maskPhone } from './masking';

describe('masking', () => {
  it('masks as the policy shows: 510104********1234, 138****5678, 张*', () => {
    expect(maskIdNumber('510104199001011234')).toBe('510104********1234');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskName('张三')).toBe('张*');
  });

  it('keeps the last character of longer names', () => {
    expect(maskName('欧阳明')).toBe('欧*明');
    expect(maskName('欧阳明明')).toBe('欧**明');
    expect(maskName('李')).toBe('*');
  });

  it('masks addresses, bank accounts and odd lengths without revealing more', () => {
    expect(maskAddress('四川省成都市锦江区锦官驿街道1号')).toBe('四川省成都市****');
    expect(maskBankAccount('6222 0212 3456 7890')).toBe('****7890');
    expect(maskPhone('028 8666 1234')).toBe('028****1234');
    expect(maskPhone('88661234')).toBe('886*1234');
    expect(maskIdNumber('12345')).toBe('*****');
    expect(mask('phone', '13800001111')).toBe('138****1111');
  });
});
