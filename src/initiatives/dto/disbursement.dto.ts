import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { WITHHELD } from '../../common/crypto/free-text';
import { ApiDate, IsCalendarDate, OptionalNullable } from '../../common/validation/validators';
import { MoneyDto, MoneyOutDto } from '../money';
import { MoneyField } from './money-field';

export class CreateDisbursementDto {
  @ApiProperty({ type: MoneyDto, description: "In the budget's currency; the total may not exceed the budget (409)." })
  @MoneyField()
  amount!: MoneyDto;

  @ApiDate('When the money was paid out.')
  @IsCalendarDate()
  disbursedOn!: string;

  @OptionalNullable('Transfer or voucher reference. May name the payee: encrypted at rest, withheld from hq_analyst.')
  @IsString()
  @Length(1, 300)
  reference?: string | null;
}

export class DisbursementDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: MoneyOutDto }) amount!: MoneyOutDto;
  @ApiProperty({ type: String, format: 'date' }) disbursedOn!: string;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) reference!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}
