import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from '../common/problem/problem';

/** A path segment that cannot be a country code names no country: 404, like any unknown id. */
@Injectable()
export class CountryCodeParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Za-z]{2}$/.test(value)) throw notFound('country');
    return value.toUpperCase();
  }
}
