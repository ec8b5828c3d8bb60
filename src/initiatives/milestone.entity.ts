import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Initiative } from './initiative.entity';

/** Something an initiative should deliver, with when it is due and when it was achieved. */
@Entity('milestones')
@Index(['initiativeId', 'createdAt', 'id'])
export class Milestone {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  initiativeId!: string;

  @ManyToOne(() => Initiative, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'initiative_id' })
  initiative?: Initiative;

  /** PersonalDataCipher, context `milestone.description`: free text may name people. */
  @Column('text')
  descriptionEnc!: string;

  @Column('date', { nullable: true })
  dueOn!: string | null;

  @Column('date', { nullable: true })
  achievedOn!: string | null;

  @Column('int', { default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
