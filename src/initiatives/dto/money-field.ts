import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { MoneyDto } from '../money';

/** A nested money object; IsObject makes a missing, null or scalar one a 400 naming the field. */
export function MoneyField(): PropertyDecorator {
  return applyDecorators(IsObject({ message: '$property must be a money object { amount, currency }' }), ValidateNested(), Type(() => MoneyDto));
}
