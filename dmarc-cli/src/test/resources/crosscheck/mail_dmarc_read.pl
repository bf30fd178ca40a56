#!/usr/bin/perl
# Reads aggregate report mails (.eml files named on the command line) with Mail::DMARC
# (Debian libmail-dmarc-perl) as a report consumer would, and prints what it parsed: one JSON
# object a line, one line per report, in the order of the files.
#
# Mail::DMARC::Report::Receive->from_file takes the whole mail: Subject, MIME parts, the gzip
# attachment and its XML. At the end of each report it hands the parsed report to its SQL store;
# this script takes the report object there instead, so no database is needed.
use strict;
use warnings;
use JSON::PP;
use Mail::DMARC::Report::Receive;

# Mail::DMARC prints the Subject of each mail to standard output: keep that on standard error.
open( my $out, '>&', \*STDOUT ) or die "cannot dup stdout: $!";
open( STDOUT, '>&', \*STDERR ) or die "cannot redirect stdout: $!";
binmode $out, ':raw';

my $json = JSON::PP->new->canonical->utf8;
my $file;

sub text { my $v = shift; return defined $v ? "$v" : undef }

sub as_data {
    my ($agg) = @_;
    my $meta = $agg->metadata;
    my $pol  = $agg->policy_published;
    my %policy = map { $_ => text( $pol->{$_} ) } grep { exists $pol->{$_} } keys %$pol;
    my @records;
    foreach my $rec ( @{ $agg->record } ) {
        my $pe = $rec->row->policy_evaluated;
        push @records, {
            source_ip   => text( $rec->row->source_ip ),
            count       => text( $rec->row->count ),
            disposition => text( $pe->disposition ),
            dkim        => text( $pe->dkim ),
            spf         => text( $pe->spf ),
            reasons     => [
                map { { type => text( $_->{type} ), comment => text( $_->{comment} ) } }
                    @{ $pe->reason || [] }
            ],
            header_from   => text( $rec->identifiers->header_from ),
            envelope_from => text( $rec->identifiers->envelope_from ),
            envelope_to   => text( $rec->identifiers->envelope_to ),
            auth_dkim     => [
                map {
                    {   domain   => text( $_->{domain} ),
                        selector => text( $_->{selector} ),
                        result   => text( $_->{result} )
                    }
                } @{ $rec->auth_results->dkim }
            ],
            auth_spf => [
                map {
                    {   domain => text( $_->{domain} ),
                        scope  => text( $_->{scope} ),
                        result => text( $_->{result} )
                    }
                } @{ $rec->auth_results->spf }
            ],
        };
    }
    return {
        file               => $file,
        uuid               => text( $meta->uuid ),
        report_id          => text( $meta->report_id ),
        org_name           => text( $meta->org_name ),
        email              => text( $meta->email ),
        extra_contact_info => text( $meta->extra_contact_info ),
        begin              => text( $meta->begin ),
        end                => text( $meta->end ),
        errors             => [ map { text($_) } @{ $meta->error || [] } ],
        policy_published   => \%policy,
        records            => \@records,
    };
}

{
    no warnings 'redefine';
    *Mail::DMARC::Report::save_aggregate = sub {
        my ($report) = @_;
        print {$out} $json->encode( as_data( $report->aggregate ) ), "\n";
        return 1;
    };
}

my $receiver = Mail::DMARC::Report::Receive->new;
foreach my $f (@ARGV) {
    $file = $f;
    my $type = $receiver->from_file($f);
    die "$f: Mail::DMARC did not find an aggregate report (type "
        . ( defined $type ? $type : 'none' ) . ")\n"
        if !defined $type || $type ne 'aggregate';
}
close $out or die "cannot write: $!";
